using System.Text;

namespace TypedBuild;

/// <summary>
/// Replaces registered secrets with <c>***</c>: the raw value and the forms it commonly travels in (URL-encoded,
/// Base64). Longest values are replaced first so that a secret containing another is not half-masked.
/// </summary>
public sealed class SecretMasker : ISecretMasker
{
    public const string Replacement = "***";

    /// <summary>Shorter values would mask ordinary words and digits all over the log.</summary>
    public const int MinimumLength = 3;

    private readonly Lock _lock = new();
    private string[] _values = [];

    public void Register(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Trim().Length < MinimumLength)
        {
            return;
        }

        string[] forms = [secret, Uri.EscapeDataString(secret), Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))];
        lock (_lock)
        {
            _values = _values.Concat(forms).Distinct(StringComparer.Ordinal)
                .OrderByDescending(v => v.Length)
                .ToArray();
        }
    }

    public string Mask(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var values = _values;
        foreach (var value in values)
        {
            text = text.Replace(value, Replacement, StringComparison.Ordinal);
        }

        return text;
    }
}
