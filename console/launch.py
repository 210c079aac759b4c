"""The `gridcall` entry point: the command line, imported with the collector paused."""

from console import heap


def main() -> None:
    heap.pause()
    from console.cli import main as command

    heap.freeze()
    command()


if __name__ == "__main__":
    main()
