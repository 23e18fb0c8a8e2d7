"""PyInstaller runtime hook: runs inside the bundle before StarCoach's own code.

TLS certificates for ``starcoach models download``: the bundle carries the build machine's
OpenSSL, whose compiled-in certificate folder (Debian's /usr/lib/ssl, a python.org build's
framework folder) need not exist on the user's machine. Unless the user already chose one
(``SSL_CERT_FILE`` / ``SSL_CERT_DIR``), point OpenSSL at the system's CA bundle. Windows
reads the system certificate store and needs nothing.

onnxruntime's usage telemetry (it runs the voice activity detector) stays off: set before
any library loads, as starcoach.speech does for the installed command.
"""

import os
import sys

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

_CA_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",  # openSUSE
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # RHEL family
    "/etc/ssl/cert.pem",  # macOS, Alpine
)

if sys.platform != "win32" and not (os.environ.get("SSL_CERT_FILE")
                                    or os.environ.get("SSL_CERT_DIR")):
    for _bundle in _CA_BUNDLES:
        if os.path.isfile(_bundle):
            os.environ["SSL_CERT_FILE"] = _bundle
            break
