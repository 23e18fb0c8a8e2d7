"""Audio in, timed words out: devices, recording, audio files, model store, transcription.

Import the submodules you need (``starcoach.speech.transcribe``, ``.recorder``, ...);
this package module stays cheap to import and never pulls in faster-whisper or PortAudio.

It does one thing on import: onnxruntime (loaded later for Silero VAD) sends usage
telemetry to Microsoft unless ``ORT_DISABLE_TELEMETRY`` is set before it loads, which
would break the promise that nothing leaves the machine. Every import of speech code
passes through here first, so the variable is set here (a value the user set is kept).
"""

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
