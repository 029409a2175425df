from summit.cli import main

raise SystemExit(main())
