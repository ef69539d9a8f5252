"""`python -m bot` is the `tallywire` command."""

from bot.cli import main

raise SystemExit(main())
