"""Chat adapters: each one translates its platform to the platform-neutral core, and back."""
