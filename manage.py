#!/usr/bin/env python
from gaizao.__main__ import main

if __name__ == "__main__":
    main()
