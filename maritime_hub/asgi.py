"""ASGI entry point for uvicorn workers: `uvicorn maritime_hub.asgi:app`."""

from maritime_hub.app import create_app

app = create_app()
