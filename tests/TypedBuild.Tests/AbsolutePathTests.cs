namespace TypedBuild.Tests;

public class AbsolutePathTests
{
    [Fact]
    public void Division_combines_segments_and_normalizes()
    {
        var root = AbsolutePath.Create("/repo/");
        Assert.Equal("/repo/artifacts/tests", (root / "artifacts" / "tests").Value);
        Assert.Equal("/repo", (root / "artifacts" / "..").Value);
    }
}
