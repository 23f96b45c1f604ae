"""Ontmoeting: neighbourhood activities (eetclub, taalcafé, ...) with sign-up and a waiting list."""
