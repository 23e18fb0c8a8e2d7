"""The application's state, Qt-free (the views over it are Qt): the app's question packs
(``library``), the question chosen and how (``choice``), the attempt in progress
(``practice``), the answer under review (``review``) and the history store they share,
gathered in ``app.AppState``. Views observe it through ``signal.Signal``; nothing here
imports Qt or a view (one import-linter contract covers the folder), so it can be driven
and tested without a display.
"""
