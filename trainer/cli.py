def main() -> None:  # placeholder until cli lands
    print("trainer")
