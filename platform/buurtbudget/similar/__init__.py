"""Similar initiatives in other neighbourhoods and municipalities, and likely duplicates nearby."""
