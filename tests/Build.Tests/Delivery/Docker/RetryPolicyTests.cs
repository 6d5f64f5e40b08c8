using System.Net;
using System.Net.Sockets;
using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData("received unexpected HTTP status: 500 Internal Server Error")]
    [InlineData("received unexpected HTTP status: 503 Service Unavailable")]
    [InlineData("Put \"http://localhost:5000/v2/x/blobs/uploads/1\": read tcp 127.0.0.1:1->127.0.0.1:5000: read: connection reset by peer")]
    [InlineData("Get \"https://ghcr.io/v2/\": net/http: TLS handshake timeout")]
    [InlineData("dial tcp 127.0.0.1:5000: i/o timeout")]
    [InlineData("unexpected EOF")]
    [InlineData("toomanyrequests: 429 Too Many Requests")]
    public void Registry_hiccups_are_transient(string message)
    {
        Assert.True(RetryPolicy.IsTransient(message));
    }

    [Theory]
    [InlineData("unauthorized: authentication required")]
    [InlineData("denied: requested access to the resource is denied")]
    [InlineData("received unexpected HTTP status: 401 Unauthorized")]
    [InlineData("no basic auth credentials")]
    [InlineData("An image does not exist locally with the tag: localhost:5000/example-service")]
    [InlineData("invalid reference format")]
    [InlineData("something nobody has seen before")]
    public void Auth_and_usage_errors_are_final(string message)
    {
        Assert.False(RetryPolicy.IsTransient(message));
    }

    [Fact]
    public void Exceptions_are_classified_by_their_kind_and_status()
    {
        Assert.True(RetryPolicy.IsTransient(new SocketException((int)SocketError.ConnectionReset)));
        Assert.True(RetryPolicy.IsTransient(new TimeoutException()));
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway)));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException("nope", null, HttpStatusCode.Unauthorized)));
        Assert.False(RetryPolicy.IsTransient(new RegistryPushException("Push of x:1 failed: unauthorized: authentication required")));
        Assert.True(RetryPolicy.IsTransient(new RegistryPushException("Push of x:1 failed: received unexpected HTTP status: 502 Bad Gateway")));
    }

    [Fact]
    public void Backoff_doubles_from_the_initial_delay_up_to_the_cap()
    {
        var policy = new RetryPolicy(maxAttempts: 6, initialDelay: TimeSpan.FromSeconds(2), maxDelay: TimeSpan.FromSeconds(10));

        Assert.Equal(
            [2, 4, 8, 10, 10],
            Enumerable.Range(2, 5).Select(attempt => policy.DelayBefore(attempt).TotalSeconds));
    }

    [Fact]
    public void Decide_stops_after_the_last_attempt_and_on_final_errors()
    {
        var policy = new RetryPolicy(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1));
        var transient = new RegistryPushException("connection reset by peer");

        Assert.Equal(TimeSpan.FromSeconds(1), policy.Decide(1, transient));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.Decide(2, transient));
        Assert.Null(policy.Decide(3, transient));
        Assert.Null(policy.Decide(1, new RegistryPushException("unauthorized: authentication required")));
    }

    [Fact]
    public async Task ExecuteAsync_retries_transient_failures_until_success()
    {
        var policy = new RetryPolicy(maxAttempts: 3, initialDelay: TimeSpan.Zero);
        var log = new RecordingLog();
        var calls = 0;

        var result = await policy.ExecuteAsync(
            "Push",
            _ => ++calls < 3 ? throw new RegistryPushException("503 Service Unavailable") : Task.FromResult("done"),
            log,
            CancellationToken.None);

        Assert.Equal("done", result);
        Assert.Equal(3, calls);
        Assert.Equal(2, log.Warnings.Count);
    }

    [Fact]
    public async Task ExecuteAsync_does_not_retry_auth_errors()
    {
        var policy = new RetryPolicy(maxAttempts: 5, initialDelay: TimeSpan.Zero);
        var calls = 0;

        await Assert.ThrowsAsync<RegistryPushException>(() => policy.ExecuteAsync<string>(
            "Push",
            _ => { calls++; throw new RegistryPushException("unauthorized: authentication required"); },
            new RecordingLog(),
            CancellationToken.None));

        Assert.Equal(1, calls);
    }
}
