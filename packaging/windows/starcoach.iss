; Inno Setup 6 script for StarCoach (Windows x64).
;
; Built by packaging\windows\build.ps1 after PyInstaller has made dist\starcoach\, or by hand:
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\starcoach.iss
; Output: dist\StarCoach-<version>-setup.exe
;
; Installs per user by default (no admin prompt; %LOCALAPPDATA%\Programs\StarCoach), or for
; all users if the person chooses so. Start-menu shortcut runs starcoachw.exe (the windowed
; launcher, no console); starcoach.exe is the command line (`starcoach analyze …`), which
; the optional task adds to the user's PATH.
;
; Models, history and settings live in %LOCALAPPDATA%\StarCoach and are kept on uninstall
; (a reinstall finds them again); the uninstaller says where they are.

#define AppName "StarCoach"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppPublisher "StarCoach"
#define DistDir "..\..\dist\starcoach"

[Setup]
AppId={{6345F295-2DB4-40E8-A5CF-D21EBF25B9EA}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppComments=Rehearse spoken STAR interview answers offline.
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=StarCoach-{#AppVersion}-setup
SetupIconFile=starcoach.ico
UninstallDisplayIcon={app}\starcoachw.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the starcoach command to PATH (for use in a terminal)"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
; The whole PyInstaller onedir bundle: starcoach.exe, starcoachw.exe and _internal\.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\README.md"; DestDir: "{app}"; DestName: "README-packaging.md"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\starcoachw.exe"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\starcoachw.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; Per-user PATH entry for the command line, only when the task is chosen and not there yet.
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\starcoachw.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Paths: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;

procedure RemoveFromPath(Dir: string);
var
  Paths: string;
  P: Integer;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Paths) then
    exit;
  P := Pos(';' + Uppercase(Dir), Uppercase(Paths));
  if P > 0 then
  begin
    Delete(Paths, P, Length(Dir) + 1);
    RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Paths);
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
  begin
    RemoveFromPath(ExpandConstant('{app}'));
    if not UninstallSilent then
      MsgBox('Your speech models, practice history and settings were kept in ' +
             ExpandConstant('{localappdata}\StarCoach') +
             '. Delete that folder to remove them too.', mbInformation, MB_OK);
  end;
end;
