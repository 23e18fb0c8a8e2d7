"""Choosing what to practise: picks from the bank, imported packs, the model answer."""
