"""Tables of volunteering: profiles, offers and invitations."""
