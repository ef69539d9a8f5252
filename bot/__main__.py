"""`python -m bot` is the `tallywire` command."""

from bot.entry import main

raise SystemExit(main())
