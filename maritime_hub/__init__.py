"""maritime-hub kernel and composition root. Imports nothing on purpose (architecture.md)."""
