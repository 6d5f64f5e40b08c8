using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Configuration;

/// <summary>Turns a configuration failure into one line naming the environment variable to fix (no stack trace).</summary>
public static partial class ConfigurationErrors
{
    public static string? Describe(Exception exception) => exception switch
    {
        StartupFailureException failure => failure.Message,
        // Reached only from the start-up migration: the server is down, unreachable or refuses the credentials.
        DbException database => $"The database refused or did not answer ({database.Message.TrimEnd('.')}): check "
            + $"{DatabaseOptions.Section}__{nameof(DatabaseOptions.ConnectionString)} (host, port, credentials) and that the server is running.",
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        // The binder's own error, e.g. a word where a number belongs: "... at 'RateLimiting:PermitLimit' ...".
        InvalidOperationException { InnerException: { } inner } binding when ConfigurationKey().Match(binding.Message) is { Success: true } key =>
            $"{key.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal)} has a value of the wrong type: {inner.Message}",
        AggregateException aggregate => aggregate.InnerExceptions.Select(Describe).FirstOrDefault(m => m is not null),
        _ => null,
    };

    [GeneratedRegex("^Failed to convert configuration value .* at '([^']+)'")]
    private static partial Regex ConfigurationKey();
}
