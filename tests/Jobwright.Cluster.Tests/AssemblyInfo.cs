// Each test runs several node processes and measures what happens within leases and milliseconds:
// one at a time, so the tests do not crowd each other off the two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
