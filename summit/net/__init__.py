"""The class server and its clients: rooms of six seats played over websockets.

protocol: the messages (pydantic); store: SQLite; room: one game driven by decisions;
views: what each reader may see; server: the websocket server; ai_seat: a headless AI seat.
"""
