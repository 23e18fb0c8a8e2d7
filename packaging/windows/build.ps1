<#
.SYNOPSIS
  Build StarCoach for Windows: the PyInstaller onedir bundle (dist\starcoach\) and the
  Inno Setup installer (dist\StarCoach-<version>-setup.exe).

.DESCRIPTION
  Run from any folder in PowerShell 5.1+ on Windows 10/11 x64:
    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
  Needs Python 3.11+ x64 from python.org (the `py` launcher) and, for the installer,
  Inno Setup 6 (https://jrsoftware.org/isinfo.php; `winget install JRSoftware.InnoSetup`).
  The sounddevice wheel ships PortAudio for Windows, so nothing else is needed.

.PARAMETER Python
  Interpreter command used to create the build venv (default: "py -3.11", else "python").
.PARAMETER Fresh
  Recreate the build venv (build\venv-windows).
.PARAMETER NoInstaller
  Stop after the bundle.
.PARAMETER SignCert
  Optional: path to a .pfx code-signing certificate; its password in $env:SIGN_PASSWORD.
  Signs both executables and the installer with signtool (Windows SDK).
#>
param(
    [string]$Python = "",
    [switch]$Fresh,
    [switch]$NoInstaller,
    [string]$SignCert = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Repo = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
$Venv = Join-Path $Repo "build\venv-windows"
$Bundle = Join-Path $Repo "dist\starcoach"
$Version = (Select-String -Path (Join-Path $Repo "pyproject.toml") -Pattern '^version\s*=\s*"([^"]+)"').Matches[0].Groups[1].Value

function Say($msg) { Write-Host "==> $msg" -ForegroundColor Cyan }
function Run($exe, [string[]]$argv) {
    & $exe @argv
    if ($LASTEXITCODE -ne 0) { throw "$exe $($argv -join ' ') failed ($LASTEXITCODE)" }
}

if ($Fresh -and (Test-Path $Venv)) { Say "removing $Venv"; Remove-Item -Recurse -Force $Venv }
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    Say "creating build venv $Venv"
    if ($Python) { $parts = $Python.Split(" ") }
    elseif (Get-Command py -ErrorAction SilentlyContinue) { $parts = @("py", "-3.11") }
    else { $parts = @("python") }
    $pyArgs = @()
    if ($parts.Length -gt 1) { $pyArgs = $parts[1..($parts.Length - 1)] }
    Run $parts[0] ($pyArgs + @("-m", "venv", $Venv))
}
$Bpy = Join-Path $Venv "Scripts\python.exe"

Say "installing pyinstaller and StarCoach"
Run $Bpy @("-m", "pip", "install", "--quiet", "--upgrade", "pyinstaller>=6.10")
Run $Bpy @("-m", "pip", "install", "--quiet", $Repo)
Run $Bpy @("-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", $Repo)

Say "running PyInstaller"
New-Item -ItemType Directory -Force (Join-Path $Repo "build") | Out-Null
Push-Location (Join-Path $Repo "build")
try {
    Run $Bpy @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", (Join-Path $Repo "dist"),
               "--workpath", (Join-Path $Repo "build\pyinstaller"),
               (Join-Path $Repo "packaging\starcoach.spec"))
} finally { Pop-Location }

foreach ($f in @("starcoach.exe", "starcoachw.exe",
                 "_internal\starcoach\assets\packs\ownership.toml",
                 "_internal\starcoach\assets\models\segmenter.json",
                 "_internal\PySide6\plugins\platforms\qwindows.dll")) {
    if (-not (Test-Path (Join-Path $Bundle $f))) { throw "bundle is missing $f" }
}
if (-not (Get-ChildItem (Join-Path $Bundle "_internal\_sounddevice_data\portaudio-binaries") -Filter "*.dll")) {
    throw "bundle is missing PortAudio (sounddevice's portaudio-binaries)"
}

Say "smoke test (no Python on PATH)"
$sample = Join-Path $Repo "build\sample-answer.txt"
Set-Content -Path $sample -Encoding UTF8 -Value "I fixed the nightly import failure myself. Failures dropped from five a week to zero."
$savedPath = $env:PATH; $savedPP = $env:PYTHONPATH; $savedPH = $env:PYTHONHOME
try {
    $env:PATH = "$env:SystemRoot\System32"; $env:PYTHONPATH = $null; $env:PYTHONHOME = $null
    $json = & (Join-Path $Bundle "starcoach.exe") analyze $sample --json
    if ($LASTEXITCODE -ne 0 -or -not ($json -match '"schema": 1')) { throw "bundle smoke test failed" }
} finally { $env:PATH = $savedPath; $env:PYTHONPATH = $savedPP; $env:PYTHONHOME = $savedPH }

function Sign($file) {
    if (-not $SignCert) { return }
    $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
        Sort-Object FullName | Select-Object -Last 1
    Run $signtool.FullName @("sign", "/f", $SignCert, "/p", $env:SIGN_PASSWORD, "/fd", "SHA256",
                              "/tr", "http://timestamp.digicert.com", "/td", "SHA256", $file)
}
Sign (Join-Path $Bundle "starcoach.exe")
Sign (Join-Path $Bundle "starcoachw.exe")

$size = "{0:N0} MB" -f ((Get-ChildItem $Bundle -Recurse | Measure-Object Length -Sum).Sum / 1MB)
Say "bundle: $Bundle ($size)"
if ($NoInstaller) { return }

$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
          "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) {
    Write-Warning "Inno Setup 6 not found (winget install JRSoftware.InnoSetup); skipping the installer"
    return
}
Say "building the installer"
Run $iscc @("/Q", "/DAppVersion=$Version", (Join-Path $PSScriptRoot "starcoach.iss"))
$setup = Join-Path $Repo "dist\StarCoach-$Version-setup.exe"
Sign $setup
Say "done: $setup"
