namespace TypedBuild;

/// <summary>Replaces every registered secret value in a text with <c>***</c>.</summary>
public interface ISecretMasker
{
    void Register(string secret);

    string Mask(string text);
}
