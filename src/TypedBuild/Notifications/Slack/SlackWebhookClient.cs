using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TypedBuild.Notifications.Slack.Blocks;

namespace TypedBuild.Notifications.Slack;

/// <summary>
/// Posts messages to an incoming webhook. Retries on 429 and 5xx answers and on connection failures, waiting as long as
/// <c>Retry-After</c> asks (otherwise 1 s, 2 s, 4 s …), within a total time budget. It never throws for Slack's sake:
/// a message that cannot be delivered is a warning, because a notification must not change a build's result.
/// </summary>
public sealed class SlackWebhookClient(HttpClient http, IBuildLog log)
{
    /// <summary>Waits between attempts; replaced in tests so they need not sleep.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Reads the elapsed time; replaced in tests together with <see cref="Delay"/>.</summary>
    internal Func<TimeSpan> Elapsed { get; init; } = Stopwatch.StartNew() is var watch ? () => watch.Elapsed : null!;

    /// <summary>True when Slack accepted the message.</summary>
    public async Task<bool> PostAsync(Uri webhook, SlackMessage message, SlackNotifierOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var json = message.ToJson();
        var start = Elapsed();
        string lastProblem = "no attempt";
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.RequestTimeout);
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(webhook, content, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    log.Information("Slack notification posted");
                    return true;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                lastProblem = $"{(int)response.StatusCode} {response.ReasonPhrase} {body}".Trim();
                if (!IsTransient(response.StatusCode))
                {
                    log.Warning($"Slack refused the notification: {lastProblem}. The build result is unchanged.");
                    return false;
                }

                retryAfter = RetryAfter(response.Headers.RetryAfter);
            }
            catch (HttpRequestException exception)
            {
                lastProblem = exception.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = $"no answer within {options.RequestTimeout.TotalSeconds:0} s";
            }

            var wait = retryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
            if (attempt == options.MaxAttempts || Elapsed() - start + wait > options.RetryBudget)
            {
                break;
            }

            log.Debug($"Slack attempt {attempt} failed ({lastProblem}); retrying in {wait.TotalSeconds:0.#} s");
            await Delay(wait, cancellationToken).ConfigureAwait(false);
        }

        log.Warning($"Slack notification not delivered ({lastProblem}); gave up within {options.RetryBudget.TotalSeconds:0} s. The build result is unchanged.");
        return false;
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
        => header?.Delta ?? (header?.Date is { } date ? Max(date - DateTimeOffset.UtcNow, TimeSpan.Zero) : null);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
