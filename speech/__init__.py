"""Audio in, timed words out: devices, recording, audio files, model store, transcription.

Import the submodules you need (``starcoach.speech.transcribe``, ``.recorder``, ...);
this package module stays cheap to import and never pulls in faster-whisper or PortAudio.
"""
