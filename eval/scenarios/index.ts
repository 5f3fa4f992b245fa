import type { Scenario } from "../types";
import aboutPage from "./about-page";
import changeTitle from "./change-title";
import contactSection from "./contact-section";
import counterButton from "./counter-button";
import darkTheme from "./dark-theme";
import fixThrowingPage from "./fix-throwing-page";
import reactCounter from "./react-counter";
import reactEmailForm from "./react-email-form";
import reactFixCrash from "./react-fix-crash";
import reactHeading from "./react-heading";
import reactPricingCards from "./react-pricing-cards";
import reactTodoLocalstorage from "./react-todo-localstorage";
import todoLocalstorage from "./todo-localstorage";

/** Every scenario, simplest first. */
export const scenarios: Scenario[] = [
  changeTitle,
  contactSection,
  darkTheme,
  aboutPage,
  counterButton,
  todoLocalstorage,
  fixThrowingPage,
  reactHeading,
  reactCounter,
  reactPricingCards,
  reactEmailForm,
  reactTodoLocalstorage,
  reactFixCrash,
];
