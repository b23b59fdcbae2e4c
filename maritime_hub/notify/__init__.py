"""In-app notifications and their delivery channels (kernel: any domain may notify a user)."""
