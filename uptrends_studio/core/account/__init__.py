"""An Uptrends account, read-only: the API v4 client and real alerts as sample sets."""
