"""Offline locations from the Dutch 4-digit postcode table, and distances."""
