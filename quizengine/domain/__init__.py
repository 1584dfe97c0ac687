"""The pure domain core: standard library only; time and chance come in as arguments."""
