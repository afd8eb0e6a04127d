"""The integration document and its files: model, file formats, samples, edits, refactors."""
