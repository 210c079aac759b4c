"""`python main.py …` does what `gridcall …` does."""

from console.launch import main

if __name__ == "__main__":
    main()
