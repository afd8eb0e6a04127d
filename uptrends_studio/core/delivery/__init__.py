"""Delivery: sending for real, test runs, the local receiver, history, request import."""
