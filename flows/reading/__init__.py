"""Reading sources: polite fetching behind the address guard, page readers in worker processes, and what is stored."""
