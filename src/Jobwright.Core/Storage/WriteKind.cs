namespace Jobwright.Storage;

/// <summary>What a queued write does, as far as the order of its batch is concerned.</summary>
internal enum WriteKind
{
    Other,

    /// <summary>Stores a new job: a held claim travels in its batch.</summary>
    Submit,

    /// <summary>Claims jobs: runs after the batch's other writes.</summary>
    Claim,
}

internal static class WriteKinds
{
    /// <summary>
    /// Moves the claims of a batch behind its other writes, keeping each group's order: a claim then sees the
    /// jobs submitted and the targets freed in its own batch. The writes of a batch are independent requests,
    /// so their order within it is the writer's to choose.
    /// </summary>
    public static void MoveClaimsLast<T>(List<T> batch, Func<T, WriteKind> kind)
    {
        var firstClaim = batch.FindIndex(w => kind(w) == WriteKind.Claim);
        if (firstClaim < 0 || batch.FindLastIndex(w => kind(w) != WriteKind.Claim) < firstClaim)
        {
            return;
        }

        var claims = batch.Skip(firstClaim).Where(w => kind(w) == WriteKind.Claim).ToList();
        batch.RemoveAll(w => kind(w) == WriteKind.Claim);
        batch.AddRange(claims);
    }
}
