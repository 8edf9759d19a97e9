"""`python -m trainer` runs the command line."""

from trainer.cli import main

if __name__ == "__main__":
    main()
