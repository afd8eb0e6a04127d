"""Pure-Python core of Uptrends Studio: never imports Qt."""
