using Jobwright.Storage;

namespace Jobwright.Core.Tests;

public sealed class WriteKindsTests
{
    [Fact]
    public void The_claims_of_a_batch_move_behind_its_other_writes_each_group_keeping_its_order()
    {
        var batch = new List<(string Name, WriteKind Kind)>
        {
            ("claim-1", WriteKind.Claim), ("submit-1", WriteKind.Submit), ("finish", WriteKind.Other),
            ("claim-2", WriteKind.Claim), ("submit-2", WriteKind.Submit),
        };

        WriteKinds.MoveClaimsLast(batch, w => w.Kind);

        Assert.Equal(["submit-1", "finish", "submit-2", "claim-1", "claim-2"], batch.Select(w => w.Name));
    }

    [Fact]
    public void A_batch_whose_claims_are_already_last_or_that_has_none_is_left_as_it_is()
    {
        var last = new List<(string Name, WriteKind Kind)> { ("submit", WriteKind.Submit), ("claim", WriteKind.Claim) };
        var none = new List<(string Name, WriteKind Kind)> { ("finish", WriteKind.Other), ("submit", WriteKind.Submit) };

        WriteKinds.MoveClaimsLast(last, w => w.Kind);
        WriteKinds.MoveClaimsLast(none, w => w.Kind);

        Assert.Equal(["submit", "claim"], last.Select(w => w.Name));
        Assert.Equal(["finish", "submit"], none.Select(w => w.Name));
    }
}
