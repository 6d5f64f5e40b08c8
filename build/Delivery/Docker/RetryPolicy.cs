using System.Net;
using System.Net.Sockets;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// When to try a registry operation again: transient failures (a 5xx from the registry, a reset or refused
/// connection, a timeout, an unexpected EOF) are retried with exponential backoff; anything else (authentication,
/// authorization, a missing image, a bad name) fails at once because trying again cannot help.
/// </summary>
public sealed class RetryPolicy(int maxAttempts = 4, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null)
{
    private static readonly string[] PermanentMarkers =
    [
        "unauthorized", "authentication required", "denied", "forbidden", "401", "403", "no basic auth credentials",
        "incorrect username or password", "does not exist", "not found", "invalid reference format", "manifest invalid",
    ];

    private static readonly string[] TransientMarkers =
    [
        "500 internal server error", "502 bad gateway", "503 service unavailable", "504 gateway timeout",
        "received unexpected http status: 5", "status code 5", "connection reset", "connection refused",
        "broken pipe", "timeout", "timed out", "i/o timeout", "unexpected eof", "eof", "tls handshake timeout",
        "temporary failure", "too many requests", "429",
    ];

    private readonly TimeSpan _initialDelay = initialDelay ?? TimeSpan.FromSeconds(2);
    private readonly TimeSpan _maxDelay = maxDelay ?? TimeSpan.FromSeconds(30);

    public int MaxAttempts { get; } = maxAttempts >= 1 ? maxAttempts : throw new ArgumentOutOfRangeException(nameof(maxAttempts), "At least one attempt is needed.");

    /// <summary>Whether a failure message or exception is worth another attempt.</summary>
    public static bool IsTransient(Exception failure) => failure switch
    {
        TimeoutException or TaskCanceledException { InnerException: TimeoutException } => true,
        SocketException or IOException => true,
        HttpRequestException { StatusCode: { } status } => IsTransient(status),
        HttpRequestException { InnerException: { } inner } => IsTransient(inner),
        global::Docker.DotNet.DockerApiException api => IsTransient(api.StatusCode) || IsTransient(api.ResponseBody ?? api.Message),
        _ => IsTransient(failure.Message),
    };

    /// <summary>Whether a registry or engine error text describes a transient failure.</summary>
    public static bool IsTransient(string message)
    {
        var text = message.ToLowerInvariant();
        return !Array.Exists(PermanentMarkers, text.Contains) && Array.Exists(TransientMarkers, text.Contains);
    }

    public static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The pause before attempt <paramref name="nextAttempt"/> (2, 3, …): initial delay doubled each time, capped.</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var factor = Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var delay = TimeSpan.FromTicks((long)Math.Min(_initialDelay.Ticks * factor, _maxDelay.Ticks));
        return delay;
    }

    /// <summary>Null when the failure is final; otherwise how long to wait before the next attempt.</summary>
    public TimeSpan? Decide(int failedAttempt, Exception failure)
        => failedAttempt < MaxAttempts && IsTransient(failure) ? DelayBefore(failedAttempt + 1) : null;

    /// <summary>Runs the operation until it succeeds, fails permanently, or runs out of attempts.</summary>
    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> action, TypedBuild.IBuildLog log, CancellationToken cancellationToken)
    {
        var attempt = 1;
        while (true)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Decide(attempt, e) is { } delay)
            {
                log.Warning($"{operation} failed (attempt {attempt} of {MaxAttempts}): {e.Message}. Transient, retrying in {delay.TotalSeconds:0.#} s.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                attempt++;
            }
        }
    }
}
