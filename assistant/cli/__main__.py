"""`python -m assistant.cli`: the same command line as `communiques`."""

from assistant.cli import app

if __name__ == "__main__":
    app()
