using System.Text.RegularExpressions;

namespace ExampleService.Users;

/// <summary>Field rules for a user; errors are keyed by the JSON field name, as in a validation problem.</summary>
public static partial class UserValidation
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 64;
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 200;
    public const int NameMaxLength = 100;
    public const int PhoneMaxLength = 16;

    public static Dictionary<string, string[]> Validate(UserRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, "username", request.Username, required: true, UsernameMaxLength, UsernamePattern(),
            $"must be {UsernameMinLength}-{UsernameMaxLength} characters of letters, digits, '.', '_' or '-'");
        if (request.Username is { Length: < UsernameMinLength } and not "")
        {
            errors["username"] = [$"must be at least {UsernameMinLength} characters long"];
        }

        Check(errors, "email", request.Email, required: true, EmailMaxLength, EmailPattern(), "must be a valid e-mail address");
        Check(errors, "displayName", request.DisplayName, required: true, DisplayNameMaxLength);
        Check(errors, "givenName", request.GivenName, required: false, NameMaxLength);
        Check(errors, "familyName", request.FamilyName, required: false, NameMaxLength);
        Check(errors, "department", request.Department, required: false, NameMaxLength);
        Check(errors, "title", request.Title, required: false, NameMaxLength);
        Check(errors, "phone", request.Phone, required: false, PhoneMaxLength, PhonePattern(),
            "must be in E.164 format, e.g. +41445551234");
        return errors;
    }

    private static void Check(
        Dictionary<string, string[]> errors,
        string field,
        string? value,
        bool required,
        int maxLength,
        Regex? pattern = null,
        string? patternMessage = null)
    {
        if (value is null || string.IsNullOrWhiteSpace(value))
        {
            if (required || value is not null)
            {
                errors[field] = [required ? "is required" : "must not be empty; send null to leave it unset"];
            }

            return;
        }

        if (value.Length > maxLength)
        {
            errors[field] = [$"must be at most {maxLength} characters long"];
        }
        else if (pattern is not null && !pattern.IsMatch(value))
        {
            errors[field] = [patternMessage!];
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();

    // Deliberately simple: one @, no spaces, a dot in the domain. Real verification is a mail round-trip.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
