-- Filled in by the analytics change: backfills the interval starts added in 0006.
SELECT 1;
