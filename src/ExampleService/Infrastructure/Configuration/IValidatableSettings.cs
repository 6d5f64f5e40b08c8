using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Configuration;

/// <summary>Options that check themselves; each message names the environment variable to fix.</summary>
public interface IValidatableSettings
{
    IEnumerable<string> Validate();
}

internal sealed class SettingsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, IValidatableSettings
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public static class SettingsRegistration
{
    /// <summary>Binds a section, validates it when the host starts (so a bad value stops the service at once).</summary>
    public static IServiceCollection AddSettings<TOptions>(this IServiceCollection services, string section)
        where TOptions : class, IValidatableSettings
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, SettingsValidator<TOptions>>();
        return services;
    }
}
