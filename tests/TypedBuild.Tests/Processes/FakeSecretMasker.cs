namespace TypedBuild.Tests.Processes;

/// <summary>Test double of the masker: plain replacement of each registered value.</summary>
internal sealed class FakeSecretMasker(params string[] secrets) : ISecretMasker
{
    private readonly List<string> _secrets = [.. secrets];

    public void Register(string secret) => _secrets.Add(secret);

    public string Mask(string text) => _secrets.Aggregate(text, (masked, secret) => masked.Replace(secret, "***", StringComparison.Ordinal));
}
