import Link from "next/link";
import type { ComponentPropsWithoutRef } from "react";

/*
 * The app's buttons, and links that look like them: one look per kind, one focus ring. A form's
 * submit button with a pending state is SubmitButton in form-controls.tsx, which uses these too.
 */

export type ButtonVariant = "primary" | "secondary" | "outline" | "danger";
export type ButtonSize = "sm" | "md" | "lg";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-brand text-white hover:bg-brand-dark focus-visible:outline-brand",
  secondary: "border border-gray-300 bg-white text-gray-900 hover:bg-gray-50 focus-visible:outline-brand",
  outline: "border border-brand bg-white text-brand hover:bg-blue-50 focus-visible:outline-brand",
  danger: "border border-red-300 bg-white text-red-800 hover:bg-red-50 focus-visible:outline-red-700",
};

const SIZES: Record<ButtonSize, string> = {
  sm: "px-2 py-1 text-xs",
  md: "px-4 py-1.5 text-sm",
  lg: "px-4 py-2",
};

export function buttonClass(variant: ButtonVariant = "primary", size: ButtonSize = "md", extra = ""): string {
  return [
    "inline-block rounded font-medium disabled:opacity-60",
    "focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2",
    VARIANTS[variant],
    SIZES[size],
    extra,
  ]
    .filter(Boolean)
    .join(" ");
}

export function Button({
  variant,
  size,
  className,
  type = "button",
  ...rest
}: { variant?: ButtonVariant; size?: ButtonSize } & ComponentPropsWithoutRef<"button">) {
  return <button type={type} className={buttonClass(variant, size, className)} {...rest} />;
}

export function LinkButton({
  variant,
  size,
  className,
  ...rest
}: { variant?: ButtonVariant; size?: ButtonSize } & ComponentPropsWithoutRef<typeof Link>) {
  return <Link className={buttonClass(variant, size, className)} {...rest} />;
}
