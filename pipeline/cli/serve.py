"""The serve command: the web app for facilitators."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from ..ingest import DEFAULT_MAX_BYTES


def register(group: click.Group) -> None:
    """Add this module's commands to the `plenary` group."""
    group.add_command(serve)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this computer (127.0.0.1, localhost, ::1) needs --token.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--data-dir", type=click.Path(path_type=Path), envvar="PLENARY_DATA",
              help="Folder for the database, uploads and runs (default: $PLENARY_DATA, else "
                   "~/.local/share/plenary).")
@click.option("--token", envvar="PLENARY_TOKEN", help="Access token every visitor must give (also $PLENARY_TOKEN). "
                                                      "Required when --host is not this computer.")
@click.option("--max-mb", type=click.FloatRange(0.001), default=DEFAULT_MAX_BYTES / 1024 / 1024,
              show_default=True, help="Largest file that can be uploaded, in MB.")
@click.option("--max-files", type=click.IntRange(1, 200), default=20, show_default=True,
              help="Most files in one upload.")
@click.option("--cache-dir", type=click.Path(path_type=Path), envvar="PLENARY_CACHE",
              help="Embedding cache folder (default: $PLENARY_CACHE, else the tool's own cache).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True)
def serve(host, port, data_dir, token, max_mb, max_files, cache_dir, log_level):
    """Start the web app: upload notes, watch the analysis, read the themes, edit the action plan.

    \b
    plenary serve                      # http://127.0.0.1:8000/ on this computer only
    plenary serve --port 8080 --data-dir ~/plenary-data
    PLENARY_TOKEN=... plenary serve --host 0.0.0.0   # a small team on your network

    Open the printed address in a browser. Stop with Ctrl+C; everything is kept
    in the data folder for next time.
    """
    import uvicorn

    from ..web.app import create_app
    from ..web.config import WebConfig, bind_host, default_data_dir, is_loopback, url_host

    token = (token or "").strip() or None
    if not is_loopback(host) and not token:
        raise click.UsageError(f"refusing to serve on {host}, which other computers can reach, without an access "
                               "token: pass --token or set PLENARY_TOKEN (or use --host 127.0.0.1)")
    if token is not None and len(token) < 12:
        raise click.UsageError("the access token must be at least 12 characters long")
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = WebConfig(data_dir=data_dir, token=token, max_upload_bytes=int(max_mb * 1024 * 1024),
                       max_files=max_files, cache_dir=str(cache_dir) if cache_dir else None)
    # a server only this computer can reach answers only to its own names (no DNS rebinding)
    # (the Host header writes an IPv6 address in brackets, as a URL does)
    allowed = None if token else ["127.0.0.1", "localhost", "[::1]", url_host(host)]
    app = create_app(config, allowed_hosts=allowed)
    click.echo(f"Plenary is running at http://{url_host(host)}:{port}/  (data: {data_dir})", err=False)
    if token:
        click.echo("Visitors need the access token to sign in.")
    click.echo("Press Ctrl+C to stop.")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    uvicorn.run(app, host=bind_host(host), port=port, log_level=log_level, access_log=log_level == "debug",
                server_header=False, proxy_headers=False)
