"""`python main.py …` does what `gridcall …` does."""

from console.cli import main

if __name__ == "__main__":
    main()
