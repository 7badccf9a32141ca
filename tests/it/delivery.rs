//! Service changes reach followers through the durable queue.
