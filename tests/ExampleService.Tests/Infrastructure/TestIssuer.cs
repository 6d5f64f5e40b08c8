using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TypedBuild;

namespace ExampleService.Tests.Infrastructure;

/// <summary>
/// An OpenID Connect issuer on loopback for the tests: its own RSA signing key, a metadata document and a JWKS, as
/// the service's JwtBearer handler fetches them from a real issuer. <see cref="Shared"/> is the one the test hosts trust.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "example-service-tests";
    private static readonly Lazy<TestIssuer> SharedIssuer = new(() => StartAsync().GetAwaiter().GetResult());
    private readonly HttpListener _listener;
    private readonly Task _serving;
    private readonly RsaSecurityKey _key;

    private TestIssuer(HttpListener listener, Task serving, RsaSecurityKey key, string url)
    {
        _listener = listener;
        _serving = serving;
        _key = key;
        Url = url;
    }

    /// <summary>The issuer the test hosts are configured with (started on first use, for the whole run).</summary>
    public static TestIssuer Shared => SharedIssuer.Value;

    /// <summary>The issuer URL: the iss claim and the authority.</summary>
    public string Url { get; }

    public static Task<TestIssuer> StartAsync()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
        var url = $"http://127.0.0.1:{LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)}";
        var metadata = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = url,
            ["jwks_uri"] = $"{url}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        });
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        });

        // HttpListener rather than a second ASP.NET Core host: WebApplicationFactory would take that host for the service's.
        var listener = new HttpListener();
        listener.Prefixes.Add($"{url}/");
        listener.Start();
        var documents = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/.well-known/openid-configuration"] = metadata,
            ["/jwks"] = jwks,
        };
        return Task.FromResult(new TestIssuer(listener, Task.Run(() => ServeAsync(listener, documents)), key, url));
    }

    private static async Task ServeAsync(HttpListener listener, Dictionary<string, string> documents)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var response = context.Response;
            if (documents.TryGetValue(context.Request.Url?.AbsolutePath ?? "", out var document))
            {
                var body = Encoding.UTF8.GetBytes(document);
                response.ContentType = "application/json";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    /// <summary>A signed access token for <paramref name="subject"/> with the given space-separated scopes.</summary>
    public string Issue(string subject, string scopes, string audience = Audience, TimeSpan? expiresIn = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Url,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("scope", scopes)]),
            // An expired token was also issued in the past: not-before and issued-at precede its expiry.
            IssuedAt = expires < now ? expires.AddHours(-1) : now,
            NotBefore = expires < now ? expires.AddHours(-1) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _serving;
        _key.Rsa.Dispose();
    }
}
