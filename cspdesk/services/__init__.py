"""Every query and transaction, and the domain rules. No Qt here."""
