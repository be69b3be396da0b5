"""Setting up municipalities and neighbourhoods: JSON endpoints, management pages, the finder."""
