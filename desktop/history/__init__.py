"""The history screen (Qt): the attempt table and detail, the progress chart, exporting the
selection, and the controller that opens kept attempts in the review.

The records themselves (store, schema, exports, progress) are Qt-free, in
``desktop.attempts``. ``cli`` (``starcoach history``) and ``exporting`` touch Qt only through
``pdf``, imported lazily.
"""
