using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Security;

/// <summary>The accepted keys, by the SHA-256 of their secret: the service never holds a key itself.</summary>
internal sealed class ApiKeyStore(IOptions<AccessOptions> options)
{
    private readonly (ApiKeyEntry Entry, byte[] Hash)[] _keys =
        [.. options.Value.ApiKeys.Select(k => (k, Convert.FromHexString(k.Sha256)))];

    /// <summary>The entry whose hash matches; every entry is compared in fixed time, so timing tells nothing either.</summary>
    public ApiKeyEntry? Find(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyEntry? match = null;
        foreach (var (entry, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = entry;
            }
        }

        return match;
    }
}
