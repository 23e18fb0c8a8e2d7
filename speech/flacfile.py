"""A FLAC file written as it grows: every encoded frame goes to the OS as soon as it exists.

The header is written first with the length marked unknown, then frames are appended and
flushed, so a process killed mid-recording leaves a valid FLAC file holding everything
encoded up to the kill (the encoder holds at most one 72 ms frame). ``close`` fills in the
length. Encoding uses FFmpeg's FLAC encoder through PyAV.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np


class FlacWriter:
    """Append mono float32 blocks to ``path`` as 16-bit FLAC at ``rate`` Hz."""

    def __init__(self, path: str | Path, rate: int) -> None:
        import av

        self.path = Path(path)
        self.rate = rate
        self.samples = 0
        self._codec = av.CodecContext.create("flac", "w")
        self._codec.sample_rate = rate
        self._codec.layout = "mono"
        self._codec.format = "s16"
        self._codec.open()
        streaminfo = bytes(self._codec.extradata or b"")[:34]
        if len(streaminfo) != 34:
            raise RuntimeError("FLAC encoder gave no STREAMINFO")
        self._file = open(self.path, "w+b")  # noqa: SIM115 - held open while recording
        self._file.write(b"fLaC" + bytes([0x80]) + (34).to_bytes(3, "big") + streaminfo)
        self._file.flush()
        self._pts = 0

    def write(self, block: np.ndarray) -> None:
        """Encode and append ``block`` (float32 in [-1, 1]); flushed to the OS on return."""
        import av

        block = np.asarray(block, dtype=np.float32).reshape(-1)
        if block.size == 0:
            return
        pcm = np.clip(np.round(block * 32768.0), -32768, 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.rate
        frame.pts = self._pts
        self._pts += pcm.size
        self._emit(self._codec.encode(frame))
        self.samples += pcm.size

    def _emit(self, packets: list) -> None:
        for packet in packets:
            if packet.size:
                self._file.write(bytes(packet))
        self._file.flush()

    def close(self) -> None:
        """Flush the encoder, write the total length into the header, close the file."""
        if self._file.closed:
            return
        try:
            self._emit(self._codec.encode(None))
            self._file.seek(8 + 13)
            byte13 = self._file.read(1)[0]
            self._file.seek(8 + 13)
            total = self.samples & ((1 << 36) - 1)
            self._file.write(bytes([(byte13 & 0xF0) | (total >> 32)]))
            self._file.write(struct.pack(">I", total & 0xFFFFFFFF))
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()
